package io.raftbus.engine.memory;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogApiContract;

/** The LogAPI contract against {@link InMemoryLog} (a restart keeps the instance, as the simulation does). */
class InMemoryLogContractTest extends LogApiContract {

    @Override
    protected LogAPI newLog() {
        return new InMemoryLog();
    }

    @Override
    protected LogAPI reopen(LogAPI closing) {
        closing.close();
        return ((InMemoryLog) closing).reopen();
    }
}
