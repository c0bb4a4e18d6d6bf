export * from './contract';
export * from './errors';
export * from './model/host';
export * from './model/domain';
export * from './model/activity';
export * from './model/prompt';
export * from './model/stats';
