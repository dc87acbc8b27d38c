package org.volseg.ops.api;

/**
 * An input or output of an operation.
 *
 * @param kind        what flows through it
 * @param name        its name in node descriptions and help
 * @param description what it holds
 */
public record Port(PortKind kind, String name, String description) {
}
