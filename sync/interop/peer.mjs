// A JS automerge-repo peer (the real @automerge/automerge-repo with its
// WebSocket client adapter), driven by pwg's Go interop tests and
// benchmarks. Every subcommand connects to one WebSocket URL (a pwg
// `serve --ws`, or the automerge-repo sync server).
//
//   node peer.mjs find URL ID                 print the document as JSON, or {"unavailable": "..."}
//   node peer.mjs append URL ID KEY TEXT      append TEXT to sections[KEY].notes, print "appended",
//                                             stay connected until stdin closes
//   node peer.mjs bench-latency URL PEERS     PEERS repos on URL; for each "edit" line on stdin, one
//                                             keystroke on the first, print the ms until all others have it
//   node peer.mjs bench-firstsync URL FILE    import the saved document FILE on one repo; once the
//                                             server has it, time a fresh repo's find; print JSON
import * as A from "@automerge/automerge"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"

const [cmd, url, ...rest] = process.argv.slice(2)

// newRepo returns a repo with no storage connected to url, and byte counters.
function newRepo() {
  const adapter = new WebSocketClientAdapter(url)
  const counts = { rx: 0, tx: 0 }
  const recv = adapter.receiveMessage.bind(adapter)
  adapter.receiveMessage = bytes => {
    counts.rx += bytes.byteLength
    recv(bytes)
  }
  const send = adapter.send.bind(adapter)
  adapter.send = msg => {
    counts.tx += estimate(msg)
    send(msg)
  }
  const repo = new Repo({ network: [adapter] })
  return { repo, counts }
}

// estimate is a message's encoded size: its data plus the CBOR map's keys
// and ids (within a few bytes of cbor-x's output).
function estimate(msg) {
  let n = 8
  for (const [k, v] of Object.entries(msg)) {
    n += k.length + 2
    n += v instanceof Uint8Array ? v.byteLength + 5 : JSON.stringify(v ?? null).length
  }
  return n
}

const sameHeads = (a, b) => a.length === b.length && a.every((h, i) => h === b[i])

// findRetry finds a document, asking again while the server does not have it yet.
async function findRetry(repo, id, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await repo.find(id)
    } catch (e) {
      if (Date.now() > deadline) throw e
      await new Promise(r => setTimeout(r, 100))
    }
  }
}

// untilHeads resolves once handle's document has the given heads.
function untilHeads(handle, heads) {
  return new Promise(resolve => {
    const check = () => {
      if (sameHeads(A.getHeads(handle.doc()).sort(), [...heads].sort())) {
        handle.off("change", check)
        handle.off("heads-changed", check)
        resolve()
        return true
      }
      return false
    }
    if (!check()) {
      handle.on("change", check)
      handle.on("heads-changed", check)
    }
  })
}

function lines(onLine) {
  const rl = createInterface({ input: process.stdin })
  rl.on("line", onLine)
  return new Promise(resolve => rl.on("close", resolve))
}

function out(x) {
  process.stdout.write((typeof x === "string" ? x : JSON.stringify(x)) + "\n")
}

async function main() {
  switch (cmd) {
    case "find": {
      const { repo } = newRepo()
      try {
        const h = await repo.find("automerge:" + rest[0])
        out({ doc: h.doc() })
      } catch (e) {
        out({ unavailable: String(e.message ?? e) })
      }
      repo.shutdown()
      process.exit(0)
    }
    case "append": {
      const [id, key, text] = rest
      const { repo } = newRepo()
      const h = await findRetry(repo, "automerge:" + id)
      h.change(d => {
        const notes = d.sections[key].notes ?? ""
        A.splice(d, ["sections", key, "notes"], notes.length, 0, text)
      })
      out("appended")
      await lines(() => {})
      await repo.shutdown()
      process.exit(0)
    }
    case "bench-latency": {
      const n = Number(rest[0])
      const peers = Array.from({ length: n }, () => newRepo().repo)
      const h0 = peers[0].create({ text: "" })
      h0.change(d => A.splice(d, ["text"], 0, 0, "start"))
      const others = await Promise.all(peers.slice(1).map(r => findRetry(r, h0.url)))
      await Promise.all(others.map(h => untilHeads(h, A.getHeads(h0.doc()))))
      out("ready")
      await lines(async line => {
        if (line !== "edit") return
        const start = performance.now()
        h0.change(d => A.splice(d, ["text"], 0, 0, "x"))
        const heads = A.getHeads(h0.doc())
        await Promise.all(others.map(h => untilHeads(h, heads)))
        out(String(performance.now() - start))
      })
      process.exit(0)
    }
    case "bench-firstsync": {
      const saved = readFileSync(rest[0])
      const a = newRepo()
      const ha = a.repo.import(saved)
      const heads = A.getHeads(ha.doc())
      // A probe repo fetches it first, so the server surely has it all.
      const probe = newRepo()
      await untilHeads(await findRetry(probe.repo, ha.url, 120000), heads)
      const b = newRepo()
      await b.repo.networkSubsystem.whenReady()
      const start = performance.now()
      const hb = await b.repo.find(ha.url)
      await untilHeads(hb, heads)
      const ms = performance.now() - start
      out({ ms, rx: b.counts.rx, tx: b.counts.tx, pushedByOwner: a.counts.tx, savedBytes: saved.byteLength })
      process.exit(0)
    }
    default:
      console.error("unknown command " + cmd)
      process.exit(2)
  }
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
