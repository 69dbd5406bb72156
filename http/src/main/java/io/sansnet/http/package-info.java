/** Sans-io HTTP/1.1: connection objects for client and server roles, bytes in, events out. */
package io.sansnet.http;
