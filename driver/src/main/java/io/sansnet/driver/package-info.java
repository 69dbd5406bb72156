/** Real drivers: Linux TUN through JNA and kernel sockets, with their event loop. */
package io.sansnet.driver;
