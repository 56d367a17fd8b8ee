package dev.nsdp.control.api;

import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.RequestCodec;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.NamespaceInfo;
import dev.nsdp.dataplane.namespace.PortInfo;
import dev.nsdp.dataplane.namespace.StaticMacInfo;
import dev.nsdp.dataplane.namespace.VlanMappingInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the model's snapshots in replies. */
final class JsonViews {
    private JsonViews() {
    }

    /** {@code {"id":1,"name":"red","level":"L2","parent":"root","owner":"alice","settings":{...},"loopbackUp":false,"children":[],"ports":["eth0"]}} */
    static Map<String, Object> namespace(final NamespaceInfo info) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", (long) info.id());
        json.put("name", info.name());
        json.put("level", info.level().name());
        if (info.parent() != null) {
            json.put("parent", info.parent());
        }
        json.put("owner", info.owner());
        json.put("settings", RequestCodec.settingsJson(info.settings()));
        json.put("loopbackUp", info.loopbackUp());
        json.put("children", info.children());
        json.put("ports", info.ports());
        return json;
    }

    /** {@code {"name":"eth0","namespace":"red","index":3,"up":true,"loopback":false,"kind":"memory","link":"m0"}} */
    static Map<String, Object> port(final PortInfo info, final PortSpec spec, final boolean missing) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.name());
        json.put("namespace", info.namespace());
        json.put("index", (long) info.portIndex());
        json.put("up", info.adminUp());
        json.put("loopback", info.loopback());
        if (spec != null) {
            json.put("kind", spec.kind().wireName());
            json.put("link", spec.link());
            if (spec.kernelNamespace() != null) {
                json.put("netns", spec.kernelNamespace());
            }
        }
        if (missing) {
            json.put("missing", true);
        }
        return json;
    }

    static Map<String, Object> vlan(final VlanMappingInfo info) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("namespace", info.namespace());
        json.put("port", info.port());
        json.put("vlan", (long) info.vlanId());
        json.put("to", info.targetNamespace());
        return json;
    }

    static Map<String, Object> mac(final StaticMacInfo info) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("namespace", info.namespace());
        json.put("mac", MacAddress.format(info.mac()));
        json.put("port", info.port());
        return json;
    }
}
