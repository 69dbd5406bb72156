/** The sans-io core: IP, ICMP, UDP, TCP, the seeded fault model and the application interface. No I/O, threads or clocks. */
package io.sansnet.stack;
