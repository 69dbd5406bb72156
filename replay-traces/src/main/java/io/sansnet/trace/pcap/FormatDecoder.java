package io.sansnet.trace.pcap;

import java.io.IOException;
import java.util.List;

/** One container format's record loop, after the magic number has chosen it. */
interface FormatDecoder {
    /** The next packet, the clean end, or the error that ends the read. */
    ReadResult next() throws IOException;

    /** The interfaces described so far. */
    List<InterfaceInfo> interfaces();

    CaptureFormat format();
}
