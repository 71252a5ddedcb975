// Pure parts of --topology cluster: what CLUSTER NODES says (the failover drill finds masters,
// replicas and slots in it) and flight-svc's view of which master serves which slots (a change
// of it is a failover).
import t from "tap";
import { masterMap } from "../../flight-svc/inventory/failover-watch.js";
import { parseClusterNodes } from "../../stress/topology/cluster-controls.js";

const NODES = `a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460
b2 127.0.0.1:7002@17002 master - 0 1700000000000 2 connected 5461-10922
c3 127.0.0.1:7003@17003 master,fail - 1700000000000 1700000000000 3 disconnected
d4 127.0.0.1:7004@17004 slave a1 0 1700000000000 1 connected
f6 127.0.0.1:7006@17006 master - 0 1700000000000 7 connected 10923-16383 [15495->-b2]
`;

t.test("CLUSTER NODES: roles, the master of each replica, failures and slot ranges", async (t) => {
  const nodes = parseClusterNodes(NODES);
  t.same(
    nodes.map((n) => [n.port, n.master, n.of, n.failed, n.slots]),
    [
      [7001, true, null, false, [[0, 5460]]],
      [7002, true, null, false, [[5461, 10922]]],
      [7003, true, null, true, []],
      [7004, false, "a1", false, []],
      [7006, true, null, false, [[10923, 16383]]],
    ],
  );
});

t.test("the master map names each slot range's master; a promoted replica changes it", async (t) => {
  const slots: string[][] = [];
  for (let s = 0; s < 16_384; s++) slots[s] = [s < 8_192 ? "127.0.0.1:7001" : "127.0.0.1:7002", "127.0.0.1:7004"];
  const before = masterMap(slots);
  t.equal(before, "0-8191 127.0.0.1:7001|8192-16383 127.0.0.1:7002");
  for (let s = 8_192; s < 16_384; s++) slots[s] = ["127.0.0.1:7005"];
  t.equal(masterMap(slots), "0-8191 127.0.0.1:7001|8192-16383 127.0.0.1:7005");
  t.equal(masterMap([]), "0-16383 none", "no slot map yet");
});
