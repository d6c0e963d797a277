/**
 * Internal: the key-value demo ({@code raftbus-kv.jar}, entry point {@link io.raftbus.examples.kv.Main}) and its
 * state machine. An example to read, not an API: its types may change with any release.
 */
package io.raftbus.examples.kv;
