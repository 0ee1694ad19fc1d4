// One node of a local multi-node OpenSearch cluster, in a JVM of its own so that a test can kill
// it (scripts/search-cluster). OpenSearchRunner's own main runs every node in one JVM and makes a
// lone node single-node; this launcher gives the node its name, ports and discovery settings.
//
// Usage: ClusterNode NAME HTTP_PORT TRANSPORT_PORT SEED_HOSTS MANAGERS BASE_PATH CLUSTER [PLUGINS]
//   SEED_HOSTS  comma-separated host:transport_port of every node
//   MANAGERS    comma-separated node names eligible as the first cluster manager
import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class ClusterNode {
    private ClusterNode() {}

    public static void main(String[] args) throws Exception {
        String name = args[0], http = args[1], transport = args[2], seeds = args[3];
        String managers = args[4], base = args[5], cluster = args[6];
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((index, settings) -> {
            settings.put("node.name", name);
            settings.put("http.port", http);
            settings.put("transport.port", transport);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "zen");
            settings.putList("discovery.seed_hosts", seeds.split(","));
            settings.putList("cluster.initial_cluster_manager_nodes", managers.split(","));
            // A nearly full developer disk must not turn the indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        });
        OpenSearchRunner.Configs configs = OpenSearchRunner.newConfigs()
                .numOfNode(1).basePath(base).clusterName(cluster).printOnFailure();
        if (args.length > 7 && !args[7].isEmpty()) {
            configs.pluginTypes(args[7]);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println(e);
            }
        }));
        runner.build(configs);
        while (!runner.isClosed()) {
            Thread.sleep(5000);
        }
    }
}
