// Preloaded (node --import) into the unmodified automerge-repo sync server
// by pwg's tests: the package listens on every interface, on PORT; this
// binds it to 127.0.0.1 instead and prints the port it got, so tests can
// use PORT=0 and stay on loopback.
import net from "node:net"

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number") {
    const cb = typeof args[args.length - 1] === "function" ? args.pop() : undefined
    return listen.call(this, args[0], "127.0.0.1", () => {
      console.log(`PWG-LISTENING ${this.address().port}`)
      cb?.()
    })
  }
  return listen.apply(this, args)
}
