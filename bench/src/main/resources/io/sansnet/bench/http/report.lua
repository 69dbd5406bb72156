-- Prints wrk's totals and its whole latency distribution (microseconds, one line per distinct value with its
-- count) for io.sansnet.bench.http.WrkRun, which records it into an HdrHistogram.
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("wrk-summary %d %d %d %d %d %d %d %d\n", summary.duration, summary.requests,
      summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
   for i = 1, #latency do
      local value, count = latency(i)
      io.write(string.format("wrk-latency %d %d\n", value, count))
   end
end
