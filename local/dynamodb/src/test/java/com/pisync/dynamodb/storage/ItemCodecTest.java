package com.pisync.dynamodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemCodecTest {

    @Test
    void everyValueTypeSurvivesEncodeAndDecode() {
        Map<String, Value> nested = new LinkedHashMap<>();
        nested.put("x", Value.n("-12.5"));
        nested.put("l", new Value.L(List.of(Value.s(""), Value.Null.INSTANCE, Value.Bool.FALSE)));
        Map<String, Value> item = new LinkedHashMap<>();
        item.put("s", Value.s("héllo \0 😀"));
        item.put("n", Value.n("1E+125"));
        item.put("small", Value.n("-1E-130"));
        item.put("zero", Value.n("0"));
        item.put("b", new Value.B(new byte[] {0, (byte) 0xFF, 7}));
        item.put("ss", new Value.SS(new LinkedHashSet<>(List.of("a", "b"))));
        item.put("ns", new Value.NS(Set.of(new BigDecimal("1.50"), new BigDecimal("-3"))));
        item.put("bs", new Value.BS(Set.of(new Value.B(new byte[] {1}), new Value.B(new byte[0]))));
        item.put("m", new Value.M(nested));
        item.put("empty", new Value.M(Map.of()));
        item.put("t", Value.Bool.TRUE);
        item.put("null", Value.Null.INSTANCE);
        Map<String, Value> back = ItemCodec.decode(ItemCodec.encode(item));
        assertEquals(item, back);
        assertEquals(List.copyOf(item.keySet()), List.copyOf(back.keySet()));
    }
}
