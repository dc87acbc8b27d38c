package org.volseg.ops.api;

/** What an operation takes in or gives out at one port: a {@link Table}, or a model. */
public interface PortData {
}
