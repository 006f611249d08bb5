package io.cmtchain.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;
import io.cmtchain.sigverify.Ed25519BatchVerifier;
import io.cmtchain.sigverify.Ed25519Verifier;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cmt sigcheck FILE [--mode single|batch]}: verify a JSON array of {@code {"message","pub_key","signature"}}
 * hex objects (the speccheck format) under the consensus rule (ZIP-215) and print {@code <index> VALID} or
 * {@code <index> INVALID} per case, in input order. Batch mode runs the whole file through the batch path in
 * batches of up to 64, so the two modes can be compared on the same file.
 */
@Command(
    name = "sigcheck",
    mixinStandardHelpOptions = true,
    description = "Verify Ed25519 signatures from a JSON file under the ZIP-215 consensus rule.")
public final class SigcheckCommand implements Callable<Integer>
{
    /** Verification path. */
    public enum Mode
    {
        /** One signature at a time. */
        single,
        /** Batches of up to 64. */
        batch
    }

    static final int BATCH_SIZE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON array of {message, pub_key, signature} hex.")
    Path file;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "single",
        description = "single or batch (default: ${DEFAULT-VALUE}).")
    Mode mode;

    private static final class Case
    {
        final byte[] message;
        final byte[] pubKey;
        final byte[] signature;

        Case(final byte[] message, final byte[] pubKey, final byte[] signature)
        {
            this.message = message;
            this.pubKey = pubKey;
            this.signature = signature;
        }
    }

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Case[] cases;
        try
        {
            cases = read(file);
        }
        catch (final IOException ex)
        {
            err.println("cmt sigcheck: cannot read " + file + ": " + FileArguments.reason(ex));
            err.flush();
            return 1;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cmt sigcheck: " + file + ": " + ex.getMessage());
            err.flush();
            return 1;
        }

        final boolean[] verdicts = new boolean[cases.length];
        if (mode == Mode.batch)
        {
            final Ed25519BatchVerifier batch = new Ed25519BatchVerifier(BATCH_SIZE, BATCH_SIZE);
            for (int from = 0; from < cases.length; from += BATCH_SIZE)
            {
                final int to = Math.min(cases.length, from + BATCH_SIZE);
                batch.reset();
                for (int i = from; i < to; i++)
                {
                    batch.add(cases[i].pubKey, cases[i].signature, cases[i].message);
                }
                batch.verify();
                for (int i = from; i < to; i++)
                {
                    verdicts[i] = batch.verdict(i - from);
                }
            }
        }
        else
        {
            final Ed25519Verifier verifier = new Ed25519Verifier();
            for (int i = 0; i < cases.length; i++)
            {
                verdicts[i] = verifier.verify(cases[i].pubKey, cases[i].signature, cases[i].message);
            }
        }

        for (int i = 0; i < cases.length; i++)
        {
            out.println(i + (verdicts[i] ? " VALID" : " INVALID"));
        }
        out.flush();
        return 0;
    }

    /**
     * @throws IllegalArgumentException naming the problem: bad JSON, wrong shape, missing field, bad hex.
     */
    private static Case[] read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        final Object root;
        try
        {
            root = Json.parse(text);
        }
        catch (final Json.JsonException ex)
        {
            throw new IllegalArgumentException("bad JSON: " + ex.getMessage(), ex);
        }
        if (!(root instanceof List))
        {
            throw new IllegalArgumentException("expected a JSON array of {message, pub_key, signature} objects");
        }
        final List<?> list = (List<?>)root;
        final Case[] cases = new Case[list.size()];
        for (int i = 0; i < cases.length; i++)
        {
            final Object element = list.get(i);
            if (!(element instanceof Map))
            {
                throw new IllegalArgumentException("case " + i + ": expected an object");
            }
            final Map<?, ?> map = (Map<?, ?>)element;
            cases[i] = new Case(hex(map, "message", i), hex(map, "pub_key", i), hex(map, "signature", i));
        }
        return cases;
    }

    private static byte[] hex(final Map<?, ?> map, final String key, final int index)
    {
        final Object value = map.get(key);
        if (!(value instanceof String))
        {
            throw new IllegalArgumentException("case " + index + ": missing or non-string \"" + key + "\"");
        }
        try
        {
            return Hex.decode((String)value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("case " + index + ": bad hex in \"" + key + "\": " + ex.getMessage(),
                ex);
        }
    }
}
