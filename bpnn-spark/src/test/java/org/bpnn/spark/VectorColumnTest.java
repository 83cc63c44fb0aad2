package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.SQLUserDefinedType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.junit.jupiter.api.Test;

/**
 * A Spark ML vector column is refused with the conversion spelt out in full. The message said "convert an ML vector
 * with functions.vector_to_array", which in a Java program importing org.apache.spark.sql.functions does not compile:
 * vector_to_array is spark-mllib's org.apache.spark.ml.functions. This module does not depend on spark-mllib, so
 * the column is a stand-in user-defined type of the same type name, "vector" (Spark's VectorUDT's).
 */
class VectorColumnTest {

    /**
     * The stand-in's user class, annotated with its type: Spark 3.5's row encoder refuses a user-defined type whose
     * user class is neither annotated nor registered (a stand-in over float[] failed so in CI's Spark 3.5.9 pass; 4.2's
     * encoder took it).
     */
    @SQLUserDefinedType(udt = VectorUDT.class)
    public static final class StandInVector {}

    /** A user-defined type named as Spark ML's VectorUDT is (typeName "vector", from the class name). */
    public static final class VectorUDT extends UserDefinedType<StandInVector> {
        private static final long serialVersionUID = 1L;

        @Override public DataType sqlType() { return DataTypes.createArrayType(DataTypes.FloatType); }
        @Override public Object serialize(StandInVector v) { throw new UnsupportedOperationException(); }
        @Override public StandInVector deserialize(Object datum) { throw new UnsupportedOperationException(); }
        @Override public Class<StandInVector> userClass() { return StandInVector.class; }
    }

    @Test
    void aVectorColumnIsRefusedNamingTheFunctionThatConvertsIt() {
        StructType schema = new StructType().add("vec", new VectorUDT()).add("label", DataTypes.IntegerType);
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.<Row>of(), schema);
        String expected = "feature column 'vec' has type vector; expected array<float> or array<double>; convert the ML"
                + " vector first: df.withColumn(\"vec\", org.apache.spark.ml.functions.vector_to_array(col(\"vec\")))";
        String m = SparkBadInputTest.refusal(() -> SparkData.from(df, RowFormat.featureArray("vec").classLabel("label", 2)));
        assertTrue(m.equals(expected), m);
        m = SparkBadInputTest.refusal(() -> SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(SparkTrainerTest.net(1)),
                RowFormat.featureArray("vec")));
        assertTrue(m.equals(expected), m);
    }
}
