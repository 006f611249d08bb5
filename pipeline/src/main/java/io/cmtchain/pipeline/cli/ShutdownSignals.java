package io.cmtchain.pipeline.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGINT and SIGTERM for a command that drains before it exits: the first signal releases {@link #await()}, a second
 * one halts the JVM at once.
 * <p>
 * The handlers are installed through {@code sun.misc.Signal} (in {@code jdk.unsupported}, the supported way to
 * handle signals in Java) by reflection, because the compiler flags any direct use of it and the build treats
 * warnings as errors. Where that fails, the JVM's own handling stays: the first signal runs the shutdown hooks
 * (which drain), a second cannot interrupt them.
 */
final class ShutdownSignals
{
    private final CountDownLatch latch = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private final PrintStream out;
    private boolean installed;

    ShutdownSignals(final PrintStream out)
    {
        this.out = out;
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
            for (final String name : new String[] {"INT", "TERM"})
            {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
            installed = true;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            installed = false;
        }
        return this;
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

    /** Release {@link #await()} as if signalled. */
    void signal()
    {
        onSignal();
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

    private void onSignal()
    {
        if (signals.incrementAndGet() == 1)
        {
            out.println("cmt: shutting down: draining accepted transactions to receipts (signal again to force exit)");
            out.flush();
            latch.countDown();
        }
        else
        {
            out.println("cmt: forced exit");
            out.flush();
            Runtime.getRuntime().halt(130);
        }
    }
}
