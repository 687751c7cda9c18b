package dev.kawari.aws;

import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for an accepted change to show in EC2's answers. Many EC2 changes are asynchronous (a
 * secondary IP moving between interfaces, an interface detaching), so an action reads the state back
 * until it shows the change: with growing pauses (from {@link #FIRST_PAUSE}, doubling, at most {@link
 * #LONGEST_PAUSE}) through the context's sleeper, and never past its deadline.
 */
public final class ReadBack {
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private ReadBack() {
    }

    /**
     * Reads with {@code read} until {@code done} accepts the answer, and returns that answer.
     *
     * @param stillShows what the last answer shows, for the error ({@code "eni-0abc still shows …"})
     * @throws dev.kawari.spi.KawariException {@link AwsErrorCodes#AWS_CHANGE_NOT_VISIBLE} (retryable) when
     *     the deadline leaves no room for another read, with {@code stillShows} of the last answer
     */
    public static <T> T until(OperationContext context, Supplier<T> read, Predicate<T> done,
            Function<T, String> stillShows) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            T answer = read.get();
            if (done.test(answer)) {
                return answer;
            }
            if (context.deadline().remaining().compareTo(pause) <= 0) {
                throw new dev.kawari.spi.KawariException(AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE, true,
                        stillShows.apply(answer) + " when the deadline of " + context.deadline().budget() + " ran out");
            }
            context.pause(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
