package dev.parx.process;

import dev.parx.Channel;
import dev.parx.testkit.ChannelContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** {@link ProcessChannel} of frames over {@code cat}, which answers every frame with itself. */
class ProcessChannelContractTest extends ChannelContract {

    private final List<ProcessChannel<byte[]>> opened = new ArrayList<>();

    @Override
    protected Channel<byte[]> newChannel(int capacityBytes) {
        ProcessChannel<byte[]> channel = ProcessChannel.frames(Command.of("cat"), capacityBytes);
        opened.add(channel);
        return channel;
    }

    @Override
    protected boolean multipleSenders() {
        return true;
    }

    @AfterEach
    void noProcessLeft() {
        // Runs before the contract's own clean-up: closing here lets each cat see end-of-file.
        opened.forEach(ProcessChannel::close);
        Leaks.awaitNoChildren();
    }
}
