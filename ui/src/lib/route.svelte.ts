// Where the app is: one route value, and the routes Back returns to.

export type Route =
  | { name: 'today' }
  | { name: 'review' }
  | { name: 'library' }
  | { name: 'term'; pack: string; key: string }
  | { name: 'lesson'; pack: string; key: string }
  | { name: 'browse' }
  | { name: 'stats' }
  | { name: 'packs' }
  | { name: 'settings'; section: 'backlog' | null };

export type RouteName = Route['name'];

const TODAY: Route = { name: 'today' };

export class Router {
  /** The route shown. */
  current = $state.raw<Route>(TODAY);
  /** The routes Back returns to, the latest last. */
  #history = $state.raw<Route[]>([]);

  constructor(start: Route = TODAY) {
    this.current = start;
  }

  /** Where Back leads: the route before this one, or Today. */
  get previous(): Route {
    return this.#history[this.#history.length - 1] ?? TODAY;
  }

  /** How many routes Back can return to. */
  get depth(): number {
    return this.#history.length;
  }

  /** Opens `route`; Back returns to the one shown now. */
  go(route: Route): void {
    this.#history = [...this.#history, this.current];
    this.current = route;
  }

  /** Returns to the previous route; to Today when there is none. */
  back(): void {
    this.current = this.previous;
    this.#history = this.#history.slice(0, -1);
  }

  /** Shows `route` in place of the current one: Back skips it (a term's see-also link). */
  replace(route: Route): void {
    this.current = route;
  }

  /** Opens a section of the navigation bar: the history starts over, with Today under it. */
  section(route: Route): void {
    this.#history = route.name === 'today' ? [] : [TODAY];
    this.current = route;
  }
}

/** What the window's title says of each route. */
export function routeTitle(route: Route): string {
  switch (route.name) {
    case 'today':
      return 'Today';
    case 'review':
      return 'Review';
    case 'library':
      return 'Library';
    case 'term':
      return 'Term';
    case 'lesson':
      return 'Lesson';
    case 'browse':
      return 'Browse';
    case 'stats':
      return 'Statistics';
    case 'packs':
      return 'Packs';
    case 'settings':
      return 'Settings';
  }
}
