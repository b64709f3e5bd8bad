package dev.copybench.internal.results;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code docs/results-schema.json}, for tests that check a results file against it. */
public final class ResultsSchema {

    public static final Path SCHEMA = Path.of("docs/results-schema.json");

    private ResultsSchema() {
    }

    /** The schema's violations in a results file: empty when it conforms. */
    public static List<String> violations(Path results) throws IOException {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA), InputFormat.JSON);
        return schema.validate(Files.readString(results), InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
