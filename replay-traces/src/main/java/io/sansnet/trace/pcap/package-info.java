/**
 * Capture files: {@link io.sansnet.trace.pcap.CaptureReader} reads classic pcap and pcapng (auto-detected, bounded
 * memory, typed errors naming the byte offset), {@link io.sansnet.trace.pcap.PcapWriter} and {@link
 * io.sansnet.trace.pcap.PcapngWriter} write them, and {@link io.sansnet.trace.pcap.LinkLayer} strips link-layer
 * headers down to the IP packet. The codecs read from and write to streams only; opening files is the caller's
 * business.
 */
package io.sansnet.trace.pcap;
