package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.namespace.NamespaceException.Kind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceSettingsTest extends RegistryTestSupport {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        final NamespaceSettings defaults = NamespaceSettings.DEFAULTS;
        assertTrue(defaults.forwarding());
        assertEquals(64, defaults.defaultTtl());
        assertEquals(300, defaults.macAgingSeconds());
        assertEquals(8192, defaults.macLimit());
        assertEquals(List.of("forwarding", "default-ttl", "mac-aging", "mac-limit"), NamespaceSettings.NAMES);
    }

    @Test
    void valuesOutsideTheirRangesAreRefusedSayingWhich() {
        final NamespaceSettings d = NamespaceSettings.DEFAULTS;
        assertMessage("default-ttl must be 1..255, got 0", () -> d.withDefaultTtl(0));
        assertMessage("default-ttl must be 1..255, got 256", () -> d.withDefaultTtl(256));
        assertMessage("mac-aging must be 1..1000000 seconds, got 0", () -> d.withMacAgingSeconds(0));
        assertMessage("mac-aging must be 1..1000000 seconds, got 1000001", () -> d.withMacAgingSeconds(1_000_001));
        assertMessage("mac-limit must be 1..16777216, got 0", () -> d.withMacLimit(0));
        assertMessage("mac-limit must be 1..16777216, got 16777217", () -> d.withMacLimit((1 << 24) + 1));

        assertEquals(new NamespaceSettings(false, 1, 1, 1), new NamespaceSettings(false, 1, 1, 1));
        assertEquals(255, d.withDefaultTtl(255).defaultTtl());
        assertEquals(1_000_000, d.withMacAgingSeconds(1_000_000).macAgingSeconds());
        assertEquals(1 << 24, d.withMacLimit(1 << 24).macLimit());
    }

    @Test
    void aSettingIsSetByItsNameFromText() {
        final NamespaceSettings d = NamespaceSettings.DEFAULTS;
        assertFalse(d.withSetting("forwarding", "off").forwarding());
        assertTrue(d.withForwarding(false).withSetting("forwarding", "on").forwarding());
        assertFalse(d.withSetting("forwarding", "0").forwarding());
        assertEquals(32, d.withSetting("default-ttl", "32").defaultTtl());
        assertEquals(60, d.withSetting("mac-aging", " 60 ").macAgingSeconds());
        assertEquals(100, d.withSetting("mac-limit", "100").macLimit());

        assertMessage("unknown setting 'ttl'; the settings are [forwarding, default-ttl, mac-aging, mac-limit]",
            () -> d.withSetting("ttl", "3"));
        assertMessage("forwarding must be on or off, got 'maybe'", () -> d.withSetting("forwarding", "maybe"));
        assertMessage("default-ttl must be a decimal number, got 'x'", () -> d.withSetting("default-ttl", "x"));
        assertMessage("default-ttl must be 1..255, got 300", () -> d.withSetting("default-ttl", "300"));
    }

    @Test
    void theRegistrySendsChangedSettingsOnly() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice").id();
        final NamespaceSettings quiet = NamespaceSettings.DEFAULTS.withForwarding(false).withDefaultTtl(32);
        final int mark = plane.calls.size();

        assertEquals(quiet, registry.setSettings(ALICE, "red", quiet).settings());
        registry.setSettings(ALICE, "red", quiet.withDefaultTtl(32));

        assertEquals(List.of("settingsChanged " + red + " " + quiet), plane.callsSince(mark));
        assertEquals(quiet, registry.namespace("red").settings());
        assertEquals(NamespaceSettings.DEFAULTS, registry.namespace("root").settings(), "settings are per namespace");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.setSettings(BOB, "red", NamespaceSettings.DEFAULTS),
            "user 'bob' may not change the settings of namespace 'red' (owned by 'alice')");
        assertRefused(Kind.INVALID, () -> registry.setSettings(ALICE, "red", null), "no settings given");
        assertRefused(Kind.NOT_FOUND, () -> registry.setSettings(ADMIN, "blue", quiet), "namespace 'blue' does not exist");
    }

    private static void assertMessage(final String message, final org.junit.jupiter.api.function.Executable executable) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertEquals(message, e.getMessage());
    }

    @Test
    void theSameValuesAreTheSameSettings() {
        assertEquals(NamespaceSettings.DEFAULTS, new NamespaceSettings(true, 64, 300, 8192));
        assertSame(NamespaceSettings.DEFAULTS, NamespaceSettings.DEFAULTS);
    }
}
