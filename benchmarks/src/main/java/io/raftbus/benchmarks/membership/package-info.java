/**
 * Internal: the membership-change benchmark ({@link io.raftbus.benchmarks.membership.MembershipBenchmark}, see
 * docs/PERFORMANCE.md "Membership changes"). Not an API.
 */
package io.raftbus.benchmarks.membership;
