package dev.parx.threads;

import java.time.Duration;

/** The {@link IdleStrategy} implementations behind its factories. */
final class IdleStrategies {

    private IdleStrategies() {
    }

    /** Spin, then yield, then park. */
    static final class Backoff implements IdleStrategy {

        static final Backoff DEFAULT = new Backoff(100, 20, Duration.ofNanos(Long.MAX_VALUE));

        private final int spins;
        private final int yields;
        private final long maxParkNanos;

        Backoff(int spins, int yields, Duration maxPark) {
            if (spins < 0 || yields < 0) {
                throw new IllegalArgumentException("spins and yields must be >= 0, got " + spins + " and " + yields);
            }
            if (maxPark.isNegative() || maxPark.isZero()) {
                throw new IllegalArgumentException("maxPark must be positive, got " + maxPark);
            }
            this.spins = spins;
            this.yields = yields;
            this.maxParkNanos = maxPark.toNanos();
        }

        /**
         * Spins, yields, or asks to park, by round.
         *
         * @param round the round
         * @return 0 or the park time
         */
        @Override
        public long idle(int round) {
            if (round < spins) {
                Thread.onSpinWait();
                return 0;
            }
            if (round < spins + yields) {
                Thread.yield();
                return 0;
            }
            return maxParkNanos;
        }

        @Override
        public String toString() {
            return "backoff(spins=" + spins + ", yields=" + yields + ", maxParkNanos=" + maxParkNanos + ")";
        }
    }

    /** Spins forever. */
    static final class BusySpin implements IdleStrategy {

        static final BusySpin INSTANCE = new BusySpin();

        private BusySpin() {
        }

        /**
         * Spins once.
         *
         * @param round ignored
         * @return 0
         */
        @Override
        public long idle(int round) {
            Thread.onSpinWait();
            return 0;
        }

        /**
         * Never.
         *
         * @return false
         */
        @Override
        public boolean mayPark() {
            return false;
        }

        @Override
        public String toString() {
            return "busySpin";
        }
    }
}
