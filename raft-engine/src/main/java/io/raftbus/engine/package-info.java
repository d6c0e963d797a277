/**
 * Public API: the node runtime an application embeds. {@link io.raftbus.engine.RaftNode} (built with
 * {@link io.raftbus.engine.RaftNode#builder()}), its {@link io.raftbus.engine.RaftConfig}, what it reports
 * ({@link io.raftbus.engine.RaftStatus}, {@link io.raftbus.engine.Role}, {@link io.raftbus.engine.RaftListener}) and
 * the exceptions its futures fail with: {@link io.raftbus.engine.RetriableCommandException} and its subclasses mean
 * "certainly not applied", {@link io.raftbus.engine.CommandOutcomeUnknownException} means "may have been".
 *
 * <p>The package's non-public types (the event loop and its queue, callbacks, the log watch, the crash gate) are
 * internal.
 */
package io.raftbus.engine;
