package io.cmtchain.sigverify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cmtchain.engine.util.Json;

/**
 * Loads the vector files copied into test resources (Apache-2.0 data, see testvectors/README.md).
 */
final class TestVectors
{
    private TestVectors()
    {
    }

    static Object load(final String name)
    {
        try (InputStream in = TestVectors.class.getResourceAsStream("/testvectors/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing test resource testvectors/" + name);
            }
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> speccheck()
    {
        return (List<Map<String, Object>>)load("speccheck_ed25519_cases.json");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> wycheproof()
    {
        return (Map<String, Object>)load("wycheproof_ed25519_test.json");
    }
}
