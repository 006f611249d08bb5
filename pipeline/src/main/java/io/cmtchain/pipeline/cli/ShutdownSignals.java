package io.cmtchain.pipeline.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGINT and SIGTERM for a command that drains before it exits: the first signal says so, runs the command's action
 * and releases {@link #await()}; a second one ends the JVM at once, with status 130.
 * <p>
 * The handlers are installed through {@code sun.misc.Signal} (in {@code jdk.unsupported}, the supported way to
 * handle signals in Java) by reflection, because the compiler flags any direct use of it and the build treats
 * warnings as errors. Where that fails, the JVM's own handling stays: the first signal runs the shutdown hooks
 * (which drain), a second cannot interrupt them.
 */
final class ShutdownSignals implements AutoCloseable
{
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final CountDownLatch latch = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private final PrintStream out;
    private final String firstMessage;
    private final Runnable onFirst;
    private final boolean haltWhenForced;
    private boolean installed;
    /** From {@link #install()}: {@code sun.misc.Signal.handle}, the signals, and the handlers ours replaced. */
    private Method handle;
    private final Object[] handled = new Object[SIGNALS.length];
    private final Object[] previous = new Object[SIGNALS.length];

    /** @param out where the node's drain is announced. */
    ShutdownSignals(final PrintStream out)
    {
        this(out, "cmt: shutting down: draining accepted transactions to receipts (signal again to force exit)",
            () -> {}, true);
    }

    /**
     * @param out            where the first signal's message and the forced exit are announced.
     * @param firstMessage   printed at the first signal, before {@code onFirst} runs; null for none.
     * @param onFirst        run at the first signal, on the signal's thread.
     * @param haltWhenForced at the second signal, halt (skip the shutdown hooks, which may be what still drains)
     *                       rather than exit (run them: short clean-ups such as deleting a private media driver's
     *                       directory).
     */
    ShutdownSignals(
        final PrintStream out, final String firstMessage, final Runnable onFirst, final boolean haltWhenForced)
    {
        this.out = out;
        this.firstMessage = firstMessage;
        this.onFirst = onFirst;
        this.haltWhenForced = haltWhenForced;
    }

    /**
     * @return this, with handlers for INT and TERM when the platform allows.
     */
    ShutdownSignals install()
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final InvocationHandler invocationHandler = (proxy, method, args) -> invoke(proxy, method, args);
            final Object handler = Proxy.newProxyInstance(
                ShutdownSignals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocationHandler);
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (int i = 0; i < SIGNALS.length; i++)
            {
                handled[i] = signalClass.getConstructor(String.class).newInstance(SIGNALS[i]);
                previous[i] = handle.invoke(null, handled[i], handler);
            }
            this.handle = handle;
            installed = true;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            installed = false;
        }
        return this;
    }

    /**
     * Put back the handlers that were there before {@link #install()}: for a command that runs in a JVM that goes on
     * after it (a test's), whose signals are then the JVM's again.
     */
    @Override
    public void close()
    {
        if (!installed)
        {
            return;
        }
        try
        {
            for (int i = 0; i < SIGNALS.length; i++)
            {
                handle.invoke(null, handled[i], previous[i]);
            }
            installed = false;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            // Installed through the same call a moment ago; should it fail now, ours stay, as for a whole run.
        }
    }

    /** @return true when the handlers are ours (a second signal forces the exit). */
    boolean isInstalled()
    {
        return installed;
    }

    /**
     * Wait for the first signal.
     *
     * @throws InterruptedException when interrupted.
     */
    void await() throws InterruptedException
    {
        latch.await();
    }

    /**
     * Release {@link #await()} as if signalled, unless a signal came already: from the program (a node's failure, a
     * parent's exit), so never a forced exit, which only the operator's second signal is.
     */
    void signal()
    {
        if (signals.compareAndSet(0, 1))
        {
            first();
        }
    }

    private Object invoke(final Object proxy, final Method method, final Object[] args)
    {
        switch (method.getName())
        {
            case "handle":
                onSignal();
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "ShutdownSignals";
            default:
                return null;
        }
    }

    private void first()
    {
        if (firstMessage != null)
        {
            out.println(firstMessage);
            out.flush();
        }
        onFirst.run();
        latch.countDown();
    }

    private void onSignal()
    {
        if (signals.incrementAndGet() == 1)
        {
            first();
        }
        else
        {
            out.println("cmt: forced exit");
            out.flush();
            if (haltWhenForced)
            {
                Runtime.getRuntime().halt(130);
            }
            System.exit(130);
        }
    }
}
