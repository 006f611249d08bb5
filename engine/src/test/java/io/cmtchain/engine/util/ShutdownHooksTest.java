package io.cmtchain.engine.util;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownHooksTest
{
    @Test
    void shouldRegisterAHookThatRemoveWithdrawsOnceWithoutRunningIt()
    {
        final AtomicInteger runs = new AtomicInteger();
        final Thread hook = ShutdownHooks.add("cmt-test-hook", runs::incrementAndGet);

        assertEquals("cmt-test-hook", hook.getName());
        assertFalse(hook.isAlive());
        assertTrue(ShutdownHooks.remove(hook), "registered, so withdrawn");
        assertFalse(ShutdownHooks.remove(hook), "withdrawn already");
        assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "not left registered");
        assertEquals(0, runs.get());
    }

    @Test
    void shouldIgnoreANullOrUnregisteredHook()
    {
        assertFalse(ShutdownHooks.remove(null));
        assertFalse(ShutdownHooks.remove(new Thread(() ->
        {
        })));
    }
}
