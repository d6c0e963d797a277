package io.raftbus.engine;

/**
 * A membership change that can never be made as asked, so nothing was appended: adding a node that is a member
 * already, promoting a node that is not a learner, removing a node that is not a member, or removing the last voter.
 */
public class InvalidMembershipChangeException extends RaftException {

    public InvalidMembershipChangeException(String message) {
        super(message);
    }
}
