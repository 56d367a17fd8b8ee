/**
 * Every Linux call nsdp makes, in one place, through java.lang.foreign (no JNI, no C).
 *
 * <ul>
 * <li>{@link dev.nsdp.dataplane.nativ.LibC}: files, memory maps, poll, ioctl, namespaces, threads;
 *     {@link dev.nsdp.dataplane.nativ.Sockets}: the socket calls.</li>
 * <li>Structs as memory layouts: {@link dev.nsdp.dataplane.nativ.PacketSockets} (sockaddr_ll,
 *     packet_mreq, tpacket_req, tpacket2_hdr), {@link dev.nsdp.dataplane.nativ.InterfaceRequest}
 *     (ifreq), {@link dev.nsdp.dataplane.nativ.PollFd} (pollfd), {@link dev.nsdp.dataplane.nativ.Tun}.</li>
 * <li>Errors: every binding returns its result or {@code -errno} (captured with
 *     {@code Linker.Option.captureCallState("errno")}) and never throws, so the hot path can use them;
 *     set-up code turns failures into {@link dev.nsdp.dataplane.nativ.NativeException}s that say what
 *     was being done and what to do about it ({@link dev.nsdp.dataplane.nativ.Errno} names the numbers).</li>
 * <li>{@link dev.nsdp.dataplane.nativ.KernelNamespace}: runs set-up inside another kernel network
 *     namespace on a thread of its own, so one process serves links in many namespaces.</li>
 * </ul>
 *
 * The JVM needs {@code --enable-native-access=ALL-UNNAMED} (scripts/jvm.options has it).
 */
package dev.nsdp.dataplane.nativ;
