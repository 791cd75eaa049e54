// @ts-check

/**
 * The latest health snapshot of each provisioned connection.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('connection_health', table => {
    table.comment('Latest health check of each cross-account EFS connection');
    table.string('request_id').primary().notNullable();
    table.string('file_system_ref').notNullable();
    table.string('cluster_ref').notNullable();
    table.string('status').notNullable();
    table.text('results').notNullable();
    table.timestamp('checked_at', { useTz: true }).notNullable();
    table.index(['file_system_ref'], 'connection_health_file_system_idx');
    table.index(['cluster_ref'], 'connection_health_cluster_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('connection_health');
};
