/**
 * The engine: loads and validates configuration ({@code config}), finds kits ({@code kit}), runs
 * service trees ({@code tree}), schedules monitors and the recovery ladder ({@code monitor}) and
 * records events ({@code event}). {@link dev.kawari.engine.EngineModule} wires it with Guice for the
 * agent and for applications that embed Kawari. The engine never imports a kit.
 */
package dev.kawari.engine;
