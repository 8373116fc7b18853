package dev.parx.threads;

import dev.parx.Channel;
import dev.parx.Codecs;
import dev.parx.testkit.ChannelContract;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/** Both ring flavours pass the channel contract, with the default strategy and one that parks at once. */
class OffHeapChannelContractTest {

    // parks on the first failed attempt, so every wait goes through the wake-up protocol
    private static final IdleStrategy PARK_AT_ONCE = IdleStrategy.backoff(0, 0, Duration.ofDays(1));

    @Nested
    class Spsc extends ChannelContract {
        @Override
        protected Channel<byte[]> newChannel(int capacityBytes) {
            return OffHeapChannel.spsc(capacityBytes, Codecs.bytes());
        }

        @Override
        protected boolean multipleSenders() {
            return false;
        }
    }

    @Nested
    class SpscParking extends ChannelContract {
        @Override
        protected Channel<byte[]> newChannel(int capacityBytes) {
            return OffHeapChannel.spsc(capacityBytes, Codecs.bytes(), PARK_AT_ONCE);
        }

        @Override
        protected boolean multipleSenders() {
            return false;
        }
    }

    @Nested
    class Mpsc extends ChannelContract {
        @Override
        protected Channel<byte[]> newChannel(int capacityBytes) {
            return OffHeapChannel.mpsc(capacityBytes, Codecs.bytes());
        }

        @Override
        protected boolean multipleSenders() {
            return true;
        }
    }

    @Nested
    class MpscParking extends ChannelContract {
        @Override
        protected Channel<byte[]> newChannel(int capacityBytes) {
            return OffHeapChannel.mpsc(capacityBytes, Codecs.bytes(), PARK_AT_ONCE);
        }

        @Override
        protected boolean multipleSenders() {
            return true;
        }
    }
}
