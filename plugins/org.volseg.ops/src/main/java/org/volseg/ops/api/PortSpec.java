package org.volseg.ops.api;

/** What is known about a port's data before execution. */
public interface PortSpec {

    PortKind kind();
}
