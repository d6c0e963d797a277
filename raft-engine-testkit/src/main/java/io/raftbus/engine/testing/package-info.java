/**
 * Public test API (raft-engine-testkit, test scope): wrappers for fault tests over real transports, such as
 * {@link io.raftbus.engine.testing.PausableTransport}, which cuts a node off and heals it.
 */
package io.raftbus.engine.testing;
