package dev.nsdp.control.cli;

import dev.nsdp.control.api.ControlServerConfig;
import java.nio.file.Path;

/**
 * The control socket a {@code nsdp dp} command talks to, and where that choice came from (so a
 * failed connection can say which socket was tried and why that one): {@code -s PATH}, else the
 * environment variable {@value #ENVIRONMENT}, else {@value ControlServerConfig#DEFAULT_SOCKET}.
 */
record DpSocket(Path path, String origin) {
    static final String ENVIRONMENT = "NSDP_SOCKET";

    static DpSocket choose(final String option, final String environment) {
        if (option != null) {
            return new DpSocket(Path.of(option), "-s");
        }
        if (environment != null && !environment.isEmpty()) {
            return new DpSocket(Path.of(environment), ENVIRONMENT);
        }
        return new DpSocket(Path.of(ControlServerConfig.DEFAULT_SOCKET), "the default");
    }

    /** What to tell someone whose daemon could not be reached. */
    String unreachable(final String reason) {
        return "cannot reach the nsdp daemon at " + path + " (" + origin + "): " + reason + ".\n"
            + "  Start the forwarding daemon (`scripts/nsdpd --socket " + path + "`, see docs/control-api.md),\n"
            + "  or name the socket it listens on: `nsdp dp -s PATH ...` or " + ENVIRONMENT + "=PATH.";
    }
}
