package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.namespace.NamespaceException.Kind;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameRulesTest {

    @Test
    void namesFollowTheKernelDeviceNameRule() {
        assertTrue(NameRules.isValidName("eth0"));
        assertTrue(NameRules.isValidName("veth-a.100_x"));
        assertTrue(NameRules.isValidName("123456789012345"));
        assertTrue(NameRules.isValidName("..."));
        assertFalse(NameRules.isValidName("1234567890123456"));
        assertFalse(NameRules.isValidName(""));
        assertFalse(NameRules.isValidName(null));
        assertFalse(NameRules.isValidName("."));
        assertFalse(NameRules.isValidName(".."));
        assertFalse(NameRules.isValidName("a b"));
        assertFalse(NameRules.isValidName("a\tb"));
        assertFalse(NameRules.isValidName("a%d"));
    }

    @Test
    void aBadNameSaysWhatIsWrongAndWhatIsAllowed() {
        final NamespaceException e = assertThrows(NamespaceException.class, () -> NameRules.checkName("a\u0007b", "device"));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("EINVAL: device name 'a\\u0007b' has the character '\\u0007' at position 1, which is not allowed;"
            + " use 1..15 characters from A-Z a-z 0-9 _ . - (not \".\" or \"..\")", e.getMessage());
        assertEquals(22, e.errno());
        assertEquals(e.getMessage().substring("EINVAL: ".length()), e.detail());
    }

    @Test
    void callersNeedAOneWordPrincipal() {
        assertEquals("alice", Caller.user("alice").principal());
        assertFalse(Caller.user("alice").privileged());
        assertTrue(Caller.administrator("ops").privileged());
        assertEquals("administrator 'ops'", Caller.administrator("ops").toString());
        assertEquals(Kind.INVALID, assertThrows(NamespaceException.class, () -> Caller.user("")).kind());
        assertEquals(Kind.INVALID, assertThrows(NamespaceException.class, () -> Caller.user(null)).kind());
        assertTrue(assertThrows(NamespaceException.class, () -> Caller.user("al ice")).getMessage()
            .contains("caller principal 'al ice' contains a space or control character at position 2"));
        assertTrue(assertThrows(NamespaceException.class, () -> Caller.user("x".repeat(65))).getMessage()
            .contains("65 characters long; at most 64"));
    }

    @Test
    void everyKindHasItsErrno() {
        assertEquals("ENOENT", Kind.NOT_FOUND.errnoName());
        assertEquals("EEXIST", Kind.EXISTS.errnoName());
        assertEquals("EPERM", Kind.PERMISSION_DENIED.errnoName());
        assertEquals("EINVAL", Kind.INVALID.errnoName());
        assertEquals("EBUSY", Kind.BUSY.errnoName());
        assertEquals("ENOSPC", Kind.LIMIT.errnoName());
        final NamespaceException e = new NamespaceException(Kind.BUSY, "in use");
        assertEquals("EBUSY: in use", e.getMessage());
        assertEquals(16, e.errno());
    }
}
