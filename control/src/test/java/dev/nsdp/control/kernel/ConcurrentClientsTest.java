package dev.nsdp.control.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.KernelLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several rtnetlink clients open at once in one namespace. The kernel gives a process's first
 * netlink socket its pid as port id and the next ones ids with the top bit set; read as a Java int
 * those are negative, and were once taken for an errno ("getsockname(netlink) failed: errno 40279447").
 */
class ConcurrentClientsTest {
    private KernelLab lab;

    @BeforeEach
    void setUp() {
        lab = new KernelLab("ncl");
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void threeClientsAtOnceInOneNamespace() {
        try (RtNetlink first = RtNetlink.open(); RtNetlink second = RtNetlink.open(); RtNetlink third = RtNetlink.open()) {
            second.addLink(NewLink.veth(lab.name("c0"), lab.name("c1")));
            third.addLink(NewLink.veth(lab.name("d0"), lab.name("d1")));
            assertTrue(first.findLink(lab.name("c0")).isPresent());
            assertTrue(first.findLink(lab.name("d1")).isPresent());
            assertTrue(second.links().stream().map(Link::name).toList().contains(lab.name("d0")));
        }
    }
}
