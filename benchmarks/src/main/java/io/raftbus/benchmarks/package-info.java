/**
 * Internal: measurement harnesses with a {@code main} (see docs/PERFORMANCE.md). Not an API.
 */
package io.raftbus.benchmarks;
