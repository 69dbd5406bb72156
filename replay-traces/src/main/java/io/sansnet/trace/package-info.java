/** pcap and pcapng reading and writing, TCP stream reassembly and trace replay. */
package io.sansnet.trace;
