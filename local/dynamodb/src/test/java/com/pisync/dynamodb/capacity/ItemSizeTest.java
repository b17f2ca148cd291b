package com.pisync.dynamodb.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pisync.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of AWS's "Item sizes and formats" page, one by one. */
class ItemSizeTest {

    @Test
    void stringIsNameBytesPlusUtf8Bytes() {
        assertEquals(4 + 5, ItemSize.of(Map.of("name", Value.s("hello"))));
        // é is 2 bytes, € 3, 😀 4; the name é is 2
        assertEquals(2 + 2 + 3 + 4, ItemSize.of(Map.of("é", Value.s("é€😀"))));
    }

    @Test
    void numberIsOneBytePerTwoSignificantDigitsPlusOne() {
        assertEquals(1 + 2, ItemSize.of(Map.of("n", Value.n("7"))));          // 1 digit
        assertEquals(1 + 2, ItemSize.of(Map.of("n", Value.n("12"))));         // 2 digits
        assertEquals(1 + 3, ItemSize.of(Map.of("n", Value.n("123"))));        // 3 digits
        assertEquals(1 + 2, ItemSize.of(Map.of("n", Value.n("1000"))));       // trailing zeros trimmed
        assertEquals(1 + 2, ItemSize.of(Map.of("n", Value.n("0.001"))));      // leading zeros trimmed
        assertEquals(1 + 20, ItemSize.of(Map.of("n", new Value.N(new BigDecimal("12345678901234567890123456789012345678")))));
    }

    @Test
    void binaryIsRawBytesNullAndBooleanOneByte() {
        assertEquals(1 + 3, ItemSize.of(Map.of("b", new Value.B(new byte[3]))));
        assertEquals(1 + 1, ItemSize.of(Map.of("z", Value.Null.INSTANCE)));
        assertEquals(1 + 1, ItemSize.of(Map.of("t", Value.Bool.TRUE)));
    }

    @Test
    void listsAndMapsCostThreeBytesPlusOnePerElement() {
        assertEquals(1 + 3, ItemSize.of(Map.of("l", new Value.L(List.of()))));
        assertEquals(1 + 3, ItemSize.of(Map.of("m", new Value.M(Map.of()))));
        // [ "ab", 1 ] = 3 + (1 + 2) + (1 + 2)
        assertEquals(1 + 3 + 3 + 3, ItemSize.of(Map.of("l", new Value.L(List.of(Value.s("ab"), Value.n("1"))))));
        // { "k": "v" } = 3 + (1 + 1 + 1)
        assertEquals(1 + 3 + 3, ItemSize.of(Map.of("m", new Value.M(Map.of("k", Value.s("v"))))));
    }

    @Test
    void setsAreTheSumOfTheirElements() {
        assertEquals(2 + 3, ItemSize.of(Map.of("ss", new Value.SS(Set.of("a", "bc")))));
        assertEquals(2 + 2 + 3, ItemSize.of(Map.of("ns", new Value.NS(Set.of(BigDecimal.ONE, new BigDecimal("123"))))));
    }

    @Test
    void anItemIsTheSumOfItsAttributes() {
        Map<String, Value> item = new LinkedHashMap<>();
        item.put("pk", Value.s("device#1"));   // 2 + 8
        item.put("count", Value.n("42"));      // 5 + 2
        item.put("ok", Value.Bool.TRUE);       // 2 + 1
        assertEquals(10 + 7 + 3, ItemSize.of(item));
    }
}
