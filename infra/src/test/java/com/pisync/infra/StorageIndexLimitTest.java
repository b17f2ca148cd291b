package com.pisync.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.infra.constructs.Storage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** {@code -c indexLimit=N}: the stepwise GSI rollout for a stack deployed before the indexes existed. */
class StorageIndexLimitTest {

    @Test
    void declaresOnlyTheFirstNIndexesOfEachTable() {
        for (int limit : new int[] {0, 1, 3}) {
            App app = new App();
            Stack stack = new Stack(app, "Limited");
            Storage storage = new Storage(stack, "Storage", StageConfig.dev().withIndexLimit(limit));
            TemplateJson json = new TemplateJson(Template.fromStack(stack));
            for (Storage.TableSpec spec : Storage.TABLES) {
                var table = storage.all().get(Storage.TABLES.indexOf(spec));
                List<String> wanted = spec.indexes().stream().limit(limit).map(Storage.IndexSpec::name).toList();
                List<?> gsis = (List<?>) json.props(table).get("GlobalSecondaryIndexes");
                List<Object> actual = gsis == null ? List.of()
                        : gsis.stream().map(g -> TemplateJson.map(g).get("IndexName")).toList();
                assertEquals(wanted, actual, spec.id() + " limit " + limit);
                assertEquals(spec.stream() ? Map.of("StreamViewType", "NEW_AND_OLD_IMAGES") : null,
                        json.props(table).get("StreamSpecification"));
            }
        }
    }

    @Test
    void isReadFromContext() {
        App app = App.Builder.create().context(Map.of("indexLimit", "2")).build();
        assertEquals(java.util.Optional.of(2), StageConfig.fromContext(app.getNode()).indexLimit());
        assertEquals(java.util.Optional.empty(), StageConfig.fromContext(new App().getNode()).indexLimit());
    }
}
