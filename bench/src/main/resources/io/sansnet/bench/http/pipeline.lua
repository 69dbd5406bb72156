-- HTTP/1.1 pipelining: each write carries DEPTH requests (the first script argument, default 16); then the same
-- report as report.lua.
init = function(args)
   local depth = tonumber(args[1]) or 16
   local r = {}
   for i = 1, depth do
      r[i] = wrk.format()
   end
   req = table.concat(r)
end

request = function()
   return req
end

done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("wrk-summary %d %d %d %d %d %d %d %d\n", summary.duration, summary.requests,
      summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
   for i = 1, #latency do
      local value, count = latency(i)
      io.write(string.format("wrk-latency %d %d\n", value, count))
   end
end
