/** The running command's name ("ghl-bridge sync"), set by the entry point: names this process to others on the profile. */
let commandName = 'ghl-bridge';

export function setCommandName(name: string): void {
  commandName = name;
}

export function currentCommandName(): string {
  return commandName;
}
