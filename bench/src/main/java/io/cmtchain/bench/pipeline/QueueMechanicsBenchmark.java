package io.cmtchain.bench.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off mechanics alone, as in the Disruptor paper's three-stage pipeline test: a producer and three stages
 * that each add 1 to a preallocated event, chained by a Disruptor ring (batching event processors, yielding wait) or
 * by {@link ArrayBlockingQueue}s (a thread per stage, {@code take}/{@code put}; events recycled through a free queue so
 * neither side allocates). With no work in the stages this is the ceiling of what the queues allow on this machine;
 * {@link PipelineBenchmark} measures the node's real stages, whose per-transaction work (hashing, duplicate check,
 * block roots) both sides share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class QueueMechanicsBenchmark
{
    private static final int BATCH = 1024;
    private static final int SIZE = 8192;
    private static final int STAGES = 3;

    /** A preallocated event: the stages add to its value. */
    static final class Event
    {
        long value;
    }

    @Param({"disruptor", "abq"})
    public String queue;

    private Disruptor<Event> disruptor;
    private RingBuffer<Event> ring;
    private java.util.List<ArrayBlockingQueue<Event>> queues;
    private ArrayBlockingQueue<Event> free;
    private Thread[] threads;
    private volatile boolean running;
    private long sink;

    @Setup(Level.Trial)
    public void setUp()
    {
        running = true;
        if (queue.equals("disruptor"))
        {
            disruptor = new Disruptor<>(Event::new, SIZE, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE,
                new YieldingWaitStrategy());
            final EventHandler<Event> add = (event, sequence, endOfBatch) -> event.value++;
            disruptor.handleEventsWith(add).then(add).then(add);
            ring = disruptor.start();
            return;
        }
        queues = new java.util.ArrayList<>(STAGES);
        for (int i = 0; i < STAGES; i++)
        {
            queues.add(new ArrayBlockingQueue<>(SIZE));
        }
        free = new ArrayBlockingQueue<>(SIZE);
        for (int i = 0; i < SIZE; i++)
        {
            free.add(new Event());
        }
        threads = new Thread[STAGES];
        for (int i = 0; i < STAGES; i++)
        {
            final ArrayBlockingQueue<Event> in = queues.get(i);
            final ArrayBlockingQueue<Event> out = i + 1 < STAGES ? queues.get(i + 1) : free;
            threads[i] = new Thread(() ->
            {
                try
                {
                    while (running)
                    {
                        final Event event = in.poll(10, TimeUnit.MILLISECONDS);
                        if (event != null)
                        {
                            event.value++;
                            out.put(event);
                        }
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "abq-stage-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running = false;
        if (disruptor != null)
        {
            disruptor.halt();
        }
        if (threads != null)
        {
            for (final Thread thread : threads)
            {
                thread.join(1_000);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publish() throws InterruptedException
    {
        if (ring != null)
        {
            for (int i = 0; i < BATCH; i++)
            {
                final long sequence = ring.next();
                ring.get(sequence).value = sequence;
                ring.publish(sequence);
            }
            return ring.getCursor();
        }
        final ArrayBlockingQueue<Event> first = queues.get(0);
        for (int i = 0; i < BATCH; i++)
        {
            final Event event = free.take();
            sink += event.value;
            event.value = i;
            first.put(event);
        }
        return sink;
    }
}
