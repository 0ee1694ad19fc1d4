// Empty stand-in compiled by scripts/search-engine for the k-NN plugin on OpenSearch 3 (see README.md
// in this folder): the plugin creates its gRPC query converter at start-up, but the real type lives in
// transport-grpc-spi / protobufs, which are not on Maven Central. The local node serves no gRPC.
package org.opensearch.protobufs;

public final class QueryContainer {
    public enum QueryContainerCase {}
}
