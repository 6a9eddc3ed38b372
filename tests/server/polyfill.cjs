// SDK 1.17 calls Promise.withResolvers (Node 22+). Service processes started by
// the tests on Node 20 load this first (`node --require`); on Node 22 it does nothing.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
