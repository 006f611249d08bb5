package io.cmtchain.engine.util;

/**
 * Work for the JVM to do when it exits (Ctrl-C, SIGTERM, the end of {@code main}) unless it is done and withdrawn
 * first: kill a child node, close a node, delete a directory. Each command and client that owns such a resource adds
 * one hook for it and removes the hook once it has released the resource itself.
 */
public final class ShutdownHooks
{
    private ShutdownHooks()
    {
    }

    /**
     * Register {@code action} to run when the JVM exits.
     *
     * @param threadName the hook thread's name, as a thread dump shows it.
     * @param action     to run at exit.
     * @return the hook, for {@link #remove(Thread)}.
     * @throws IllegalStateException if the JVM is already exiting.
     */
    public static Thread add(final String threadName, final Runnable action)
    {
        final Thread hook = new Thread(action, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Withdraw a hook whose work its owner has done. While the JVM is exiting, hooks can no longer be removed: this
     * one runs, so its action must be harmless after the owner's own release (a second close, a deletion of what is
     * gone).
     *
     * @param hook from {@link #add(String, Runnable)}; null is ignored.
     * @return true if the hook was registered and is withdrawn; false if it was null or not registered, or the JVM is
     *         exiting and it runs.
     */
    public static boolean remove(final Thread hook)
    {
        if (null == hook)
        {
            return false;
        }
        try
        {
            return Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }
}
