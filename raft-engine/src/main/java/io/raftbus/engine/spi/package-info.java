/**
 * Public API (service provider interfaces): what an application or an integration implements to plug a node into
 * its own infrastructure. {@link io.raftbus.engine.spi.Transport} (one-way messages between nodes),
 * {@link io.raftbus.engine.spi.LogAPI} (durable Raft storage), {@link io.raftbus.engine.spi.StateMachine} (the
 * application's state), and {@link io.raftbus.engine.spi.ForwardingLog} and
 * {@link io.raftbus.engine.spi.ForwardingTransport}, bases for wrapping a log or a transport.
 */
package io.raftbus.engine.spi;
