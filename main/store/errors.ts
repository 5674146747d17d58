/** A create would link a record that is already linked elsewhere (thrown by `store.commit.created`, nothing written). */
export class LinkClashError extends Error {}
