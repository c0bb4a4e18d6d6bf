/** The VM details feature: mount <DetailsView> where the app shows details, or <DetailsRoute> for the hash route. */
export { DetailsView, type DetailsViewProps, type DetailsTab } from './DetailsView';
export { DetailsRoute, openDetails, useDetailsHashRoute } from './DetailsRoute';
export { detailsHash, parseDetailsHash, type DetailsTarget } from './details-hash';
