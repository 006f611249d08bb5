package io.cmtchain.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoNodePropertiesTest
{
    @Test
    void shouldPassTheCmtSettingsOfCmtJavaOptsToTheNode()
    {
        final Properties system = new Properties();
        system.setProperty("cmt.ring.size", "65536");
        system.setProperty("cmt.transport.ingress.channel", "aeron:udp?endpoint=localhost:41201");
        system.setProperty("cmt.root", "/checkout");
        system.setProperty("cmt.demo.node.jvm.flags", "-Xmx1g");
        system.setProperty("java.home", "/jdk");
        assertEquals(Map.of("cmt.ring.size", "65536",
                "cmt.transport.ingress.channel", "aeron:udp?endpoint=localhost:41201",
                "cmt.journal.durability", "POWER"),
            DemoCommand.nodeProperties(system, "POWER", () -> "aeron:udp?endpoint=localhost:1"));
    }

    @Test
    void shouldGiveTheNodeAFreeIngressPortWhenNoneIsSet()
    {
        assertEquals(Map.of("cmt.transport.ingress.channel", "aeron:udp?endpoint=localhost:1",
                "cmt.journal.durability", "PROCESS"),
            DemoCommand.nodeProperties(new Properties(), "PROCESS", () -> "aeron:udp?endpoint=localhost:1"));
    }
}
