package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;

/**
 * The control API's own rule on top of the namespace model's owner checks (issue 7): creating
 * namespaces (add and import), attaching links to the dataplane and moving links between namespaces
 * need an administrator, whatever the model would let an owner do. Attaching opens an AF_PACKET
 * socket or a TAP on the host, which no tenant may ask for; moving and creating change the shape of
 * the whole dataplane. Everything else goes to the model, where an owner may configure only its own
 * namespaces. Checked per request, before anything is looked up.
 */
final class AccessPolicy {
    private AccessPolicy() {
    }

    static void check(final Caller caller, final Request request) {
        final String what = switch (request) {
            case Request.AddNamespace r -> "create namespaces";
            case Request.ImportNamespace r -> "import namespaces";
            case Request.AddPort r -> "attach links to the dataplane";
            case Request.MovePort r -> "move links between namespaces";
            default -> null;
        };
        if (what != null && !caller.privileged()) {
            throw new ControlException(ErrorKind.PERMISSION_DENIED, caller + " may not " + what + " (" + request.verb()
                + "); only an administrator may: root, or a member of the control API's administrator group");
        }
    }
}
