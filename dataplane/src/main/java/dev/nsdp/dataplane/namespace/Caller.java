package dev.nsdp.dataplane.namespace;

/**
 * Who asks for a change: a principal name and whether it is privileged. A privileged caller is an
 * administrator of the whole dataplane, nsdp's equivalent of CAP_NET_ADMIN / CAP_SYS_ADMIN in the
 * initial namespace; an unprivileged caller may change only namespaces it owns (see
 * {@link NamespaceRegistry} for each operation's rule). The control API authenticates the principal;
 * the model trusts what it is given.
 */
public record Caller(String principal, boolean privileged) {
    public static final int MAX_PRINCIPAL_LENGTH = 64;

    public Caller {
        NameRules.checkPrincipal(principal, "caller");
    }

    /** A privileged caller (an administrator). */
    public static Caller administrator(final String principal) {
        return new Caller(principal, true);
    }

    /** An unprivileged caller: may act only where it is the owner. */
    public static Caller user(final String principal) {
        return new Caller(principal, false);
    }

    @Override
    public String toString() {
        return (privileged ? "administrator '" : "user '") + principal + "'";
    }
}
